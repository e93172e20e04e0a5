"""The class hub: the admin commands that publish the course and create the students' users
(`admin`), gathering the students' notebooks for grading (`collect`) and the hub simulation the
benchmark runs (`sim`). Built on publishing (the student edition) and grading."""
