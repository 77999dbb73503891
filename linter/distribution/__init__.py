"""What images' registries say about them: the platforms (and Windows builds) an image
reference offers, read with the OCI distribution API (``ecslint check
--resolve-images``). Nothing here runs unless asked: a default run opens no socket.
"""
