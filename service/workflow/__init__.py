"""The only package that imports SpiffWorkflow: parsing, the script engine and the runtime façade."""

# SpiffWorkflow builds a log record for every task state change even when nothing logs it: task_log replaces
# that with the same state change, logged only when enabled. Imported here so every use of the engine has it.
from service.workflow import task_log as task_log
