/* A worker that closes itself on its first line: a target gone while a debugger attaches to it. */
self.close();
