"""The live room: what a participant chooses to share with the trainer, and what the room shows.

A participant shares an item (a lesson's quiz, their progress, their strategy) by pressing
"Share with the trainer"; nothing else leaves ``my_work/``. Everything they share is one
*class file* (:mod:`share_file`), rewritten on every share, update and withdrawal, and carried
by one of two transports (:mod:`class_folder`): on a class hub, a drop-box folder participants
may write into but not read; on laptops, the same file downloaded and handed to the trainer.
The trainer's view reads a folder of such files, validating each and skipping what is damaged
or foreign (:mod:`room_summary` counts; ``ui/class_view`` draws).

``sharing`` is the participant's side (what is shared, under which name); ``room_summary``
the trainer's (counts per quiz question, progress per lesson, exercises with the most
unsuccessful checks, the strategies, the exported summary).
"""
