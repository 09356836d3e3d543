"""``python -m xinzhi.eligibility [evaluate] --policy … --input …``."""

from .cli import main

raise SystemExit(main())
