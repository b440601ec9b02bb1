#!/bin/sh
# Render an HTML export (risk summary or review pack) to a PNG with headless Chromium,
# so a reviewer can look at it without a browser.  Not part of CI.
#
#   scripts/render_html_to_png.sh pack.html [pack.png] [width] [height]
#
# Width and height are in CSS pixels (default 1240 x 3508: an A4 page is 794 px wide
# at 96 dpi; the default shows it at 1.5x and several pages long).  To see the printed
# pages instead, use --print-to-pdf: chromium --headless --print-to-pdf=pack.pdf pack.html
set -eu

if [ $# -lt 1 ] || [ $# -gt 4 ]; then
    echo "usage: $0 FILE.html [OUT.png] [WIDTH] [HEIGHT]" >&2
    exit 2
fi
html=$1
png=${2:-${html%.*}.png}
width=${3:-1240}
height=${4:-3508}

if [ ! -f "$html" ]; then
    echo "error: $html: no such file" >&2
    exit 2
fi
browser=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
        browser=$candidate
        break
    fi
done
if [ -z "$browser" ]; then
    echo "error: no Chromium found; install one (e.g. apt-get install chromium) and retry" >&2
    exit 2
fi

case $png in
    /*) ;;
    *) png="$(pwd)/$png" ;;
esac
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="$width,$height" \
    --screenshot="$png" "$url" >/dev/null 2>&1
echo "wrote $png"
