"""Plain record types, ids and clocks. No I/O and no UI here."""
