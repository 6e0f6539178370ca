"""Web: the HTML pages in Bahasa Indonesia. (Built with the web pages issue.)"""
