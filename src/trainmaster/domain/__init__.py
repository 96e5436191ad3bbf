"""The ART domain: plain typed objects and their invariants, no I/O."""
