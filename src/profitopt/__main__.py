"""python -m profitopt"""

from .cli import main

raise SystemExit(main())
