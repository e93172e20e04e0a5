"""The course core: the readings, the data tables, the chart theme, the notebook outline, the
course's file errors and the widgets' accessibility layer. It imports nothing else from `helpers`
but the package root (`helpers.ROOT`); everything else builds on it."""
