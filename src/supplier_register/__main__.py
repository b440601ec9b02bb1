"""Allow ``python -m supplier_register``."""

from supplier_register.cli import main

if __name__ == "__main__":
    main()
