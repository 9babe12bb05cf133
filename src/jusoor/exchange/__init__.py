"""Cross-border exchange between sovereign national nodes: signed, encrypted, store-and-forward."""
