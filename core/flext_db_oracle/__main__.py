from flext_db_oracle.cli.main import main

main()
