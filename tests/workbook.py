"""Reading an XLSX file back as a spreadsheet program would, with the standard library only (the
test environment has no openpyxl): each sheet's cell values by reference ("B7") and its merged
ranges ("A4:A5")."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class Sheet:
    name: str
    cells: dict          # "B7" → str or float
    merged: list         # ["A1:N1", …]

    def row(self, n: int) -> list:
        """The values of row n (1-based), from column A to the last one that has a value."""
        found = {_column(ref): v for ref, v in self.cells.items() if int(re.sub(r"[A-Z]+", "", ref)) == n}
        return [found.get(c, "") for c in range(max(found, default=-1) + 1)]

    def rows(self) -> list[list]:
        last = max((int(re.sub(r"[A-Z]+", "", ref)) for ref in self.cells), default=0)
        return [self.row(n) for n in range(1, last + 1)]


def _column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group():
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_workbook(data: bytes) -> dict[str, Sheet]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        strings = []
        if "xl/sharedStrings.xml" in names:
            for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS):
                strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = {r.get("Id"): r.get("Target") for r in
                ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
        sheets = {}
        for s in workbook.find("m:sheets", NS):
            target = rels[s.get(REL)].lstrip("/").removeprefix("xl/")
            root = ElementTree.fromstring(book.read(f"xl/{target}"))
            cells = {}
            for c in root.iter(f"{{{NS['m']}}}c"):
                v = c.find("m:v", NS)
                if c.get("t") == "s" and v is not None:
                    cells[c.get("r")] = strings[int(v.text)]
                elif c.get("t") == "inlineStr":
                    cells[c.get("r")] = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif v is not None:
                    cells[c.get("r")] = float(v.text)
            merged = [m.get("ref") for m in root.iter(f"{{{NS['m']}}}mergeCell")]
            sheets[s.get("name")] = Sheet(s.get("name"), cells, merged)
        return sheets
