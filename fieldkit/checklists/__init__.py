"""The checklist language: load YAML with positions, validate, evaluate logic safely."""
