"""Look at a report PDF: render its pages to PNG (pdftoppm) and tile them on one contact sheet.

    python tools/pdf_pages.py reports/bank_branch/report.pdf [-o sheet.png] [--dpi 40]

Needs poppler-utils (pdftoppm) and Pillow (a matplotlib dependency). Prints the page count and
the paths written, so a reviewer can open the sheet and each page by eye.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pdf", type=Path)
    p.add_argument("-o", "--output", type=Path, help="contact sheet (default: PDF name + .png)")
    p.add_argument("--dpi", type=int, default=40)
    p.add_argument("--columns", type=int, default=8)
    args = p.parse_args()
    out = args.output or args.pdf.with_suffix(".pages.png")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(args.pdf), f"{tmp}/page"], check=True
        )
        pages = [Image.open(f) for f in sorted(Path(tmp).glob("page-*.png"))]
        if not pages:
            print(f"{args.pdf}: no pages", file=sys.stderr)
            return 1
        w, h = pages[0].size
        rows = (len(pages) + args.columns - 1) // args.columns
        sheet = Image.new("RGB", (w * min(args.columns, len(pages)), h * rows), "white")
        for i, page in enumerate(pages):
            sheet.paste(page, ((i % args.columns) * w, (i // args.columns) * h))
        sheet.save(out)
    print(f"{args.pdf}: {len(pages)} page(s); contact sheet {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
