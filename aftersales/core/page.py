"""The A4 page every sheet is printed on, in millimetres: the data step gives listings'
column widths in it (core/sheets.py), the render step lays it out (core/pdf.py)."""

PAGE_WIDTH_MM = 210
MARGIN_MM = 20
WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM  # the text width
