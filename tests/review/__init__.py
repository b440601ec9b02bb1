"""Review tests: quarterly review packs, their store and streaming."""
