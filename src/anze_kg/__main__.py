from anze_kg.cli import main

raise SystemExit(main())
