from d3k2db.cli import main

main()
