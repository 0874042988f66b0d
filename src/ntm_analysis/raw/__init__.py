"""Data as received: the inventory of the raw folder and the readers of CSV and XLSX files."""
