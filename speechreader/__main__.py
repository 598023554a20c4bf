"""`python -m speechreader` behaves exactly like the `speechreader` command."""

from speechreader.cli import main

if __name__ == "__main__":
    main()
