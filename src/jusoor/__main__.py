from jusoor.cli.main import main

main()
