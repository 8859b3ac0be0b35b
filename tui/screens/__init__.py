"""Full-screen views, one per module: the library (the main screen: list, search as you
type, open), the reader (one article, its matches and annotations), tags (the codebook)
and help (the keys of the screen below). ``base.GlossScreen`` is what they share."""
