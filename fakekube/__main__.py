"""``python -m fakekube`` runs the command line (``python -m fakekube serve ...``)."""

from fakekube.cli import main

raise SystemExit(main())
