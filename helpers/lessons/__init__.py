"""The lesson modules, one per notebook: what that notebook shows and its widgets (soft power,
new diplomacy, international integration, deepening relations, the capstone). They build on the
course core and the exercises; nothing below them imports them."""
