"""Report tests: HTML, Markdown, CSV and XLSX rendering, safety and scale."""
