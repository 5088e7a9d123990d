"""Every message the fieldkit app posts between its parts: one type per event, one module
per part of the app, named for it (``app``, ``home``, ``runs``, ``incidents``,
``case_detail`` ...).

Work runs on thread workers (``fieldkit.ui.workers.in_thread``) and on the saver
(``fieldkit.ui.saves``); neither touches a widget. Each posts one of these to the screen
that asked, which handles it as ``on_<name in snake case>`` — so ``grep`` finds, for each
piece of work, the message it posts and the handler that takes it. A failure a screen
does nothing particular with is said by ``FieldScreen`` (the worker's error, or
``SaveFailed``); a failure a screen answers in its own way has its own message.

Why a module per part: each message is a dataclass, and making one at import costs
~0.3 ms; the 73 of them in one module were ~20 ms before the first frame, where the home
needs the app's and its own (issue 17). A screen imports its messages from its part's
module, never through this package.
"""
