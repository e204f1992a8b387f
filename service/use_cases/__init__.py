"""One module per action. Each opens a unit of work, loads, acts and commits once."""
