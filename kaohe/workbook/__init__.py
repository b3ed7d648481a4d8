"""The assessment workbook (.xlsx): the Excel form of a scenario, its template, and the results report."""

from .problems import WorkbookInvalid, WorkbookProblem
from .reader import read_workbook
from .report import write_report
from .scenario import normalise
from .writer import write_template, write_workbook

__all__ = [
    "WorkbookInvalid",
    "WorkbookProblem",
    "normalise",
    "read_workbook",
    "write_report",
    "write_template",
    "write_workbook",
]
