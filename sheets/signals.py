"""What the importer tells the apps above it (which it must not import): a workbook was written.

The bulk writer sends no post_save per row, so an app that keeps figures derived from imported
records (the indicators) listens here instead.
"""

from django.dispatch import Signal

# Sent once per workbook written (not for a preview, a rejected file or a file that changed nothing),
# after its transaction, with sender = the imported model and report = the ImportReport.
records_imported = Signal()
