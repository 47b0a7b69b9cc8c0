"""Draw the app icons (tending/static/img/icons/*.png) from the leaf mark.

Run `python tools/icons.py` after changing the leaf or the colours; the PNGs
are committed. It writes each icon as SVG and lets Debian's Chromium, through
Playwright, rasterise it at its exact size (no image library needed).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "tending" / "static" / "img" / "icons"
CHROMIUM = "/usr/bin/chromium"
PAPER = "#f7f3ec"  # --bg of the light theme, the manifest's background_color
LEAF = (
    '<path d="M5 19c0-8 5-14 15-15-1 10-7 15-15 15z" fill="#5f8f6b"/>'
    '<path d="M5 19c3-4 6-7 10-10" stroke="#2f5a3c" stroke-width="1.5" fill="none"'
    ' stroke-linecap="round"/>'
)


def svg(size: int, *, maskable: bool) -> str:
    # The leaf's drawing spans 15 units (x 5-20, y 4-19) around (12.5, 11.5).
    # A maskable icon may be cut to a circle of 80% of its width: the leaf
    # keeps within the middle 50% there, and fills 66% of a plain icon.
    share = 0.5 if maskable else 0.66
    scale = size * share / 15
    shift = size / 2
    corner = 0 if maskable else size * 0.22
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">'
        f'<rect width="{size}" height="{size}" rx="{corner}" fill="{PAPER}"/>'
        f'<g transform="translate({shift} {shift}) scale({scale}) translate(-12.5 -11.5)">'
        f"{LEAF}</g></svg>"
    )


ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "maskable-192.png": (192, True),
    "maskable-512.png": (512, True),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (size, maskable) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                '<html><body style="margin:0;background:transparent">'
                f"{svg(size, maskable=maskable)}</body></html>"
            )
            page.locator("svg").screenshot(path=str(OUT / name), omit_background=True)
            page.close()
            print(f"wrote {OUT / name}")
        browser.close()


if __name__ == "__main__":
    main()
