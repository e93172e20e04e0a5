"""Publishing: what the course is turned into for its readers. The HTML slides and the reader
edition (`publish`), the live slideshow's metadata (`slideshow`), the student edition with no
answer key (`release`) and the teaching kit (`teaching`), with their nbconvert and site
templates. Built on the core and the exercise banks; no notebook imports it."""
