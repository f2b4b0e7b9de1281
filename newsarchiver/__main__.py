from newsarchiver.cli import main

# guarded: a spawned site-run process imports this module again, and must not run the CLI
if __name__ == "__main__":
    main()
