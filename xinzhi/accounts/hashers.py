"""Password hashing for a server that takes many logins (口令散列参数).

Django's default Argon2 asks for 100 MiB and 8 lanes per hash: twenty people logging in at
once pushed a worker to ~500 MB. These are OWASP's recommended minimum for Argon2id
(m = 19 MiB, t = 2, p = 1; docs/operations.md). The algorithm name stays "argon2", so stored
hashes with other parameters still verify and are rewritten with these on the next login
(Django's `must_update`).
"""

from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import Argon2PasswordHasher

# Hashes run on at most this many threads per process, whatever the worker's thread count.
# Not a semaphore: the C allocator keeps a freed 19 MiB block in the arena of the thread that
# used it, so every request thread that ever hashed would keep one. Four hashing threads
# bound a burst of logins to ~80 MB on top of the worker; further logins wait milliseconds.
MAX_CONCURRENT_HASHES = 4
_pool = ThreadPoolExecutor(max_workers=MAX_CONCURRENT_HASHES, thread_name_prefix="argon2")


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        return _pool.submit(super().encode, password, salt).result()

    def verify(self, password: str, encoded: str) -> bool:
        return _pool.submit(super().verify, password, encoded).result()
