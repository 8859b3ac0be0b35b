"""Full-screen views: the library (main screen), tags, help; the reader lives beside them."""
