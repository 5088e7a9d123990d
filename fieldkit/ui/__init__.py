"""The Textual app. Screens call services; no storage or HTTP code lives here."""
