"""The only package that imports SpiffWorkflow: parsing, the script engine and the runtime façade."""
