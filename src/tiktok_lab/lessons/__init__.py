"""One home per lesson's domain, without widgets: figures (02, which every other lesson
may cite), platform (01), feed (03), opportunity (04), publishing (05), ads (06) and strategy
(07, which reads the others). Lessons 01-06 do not import each other."""
