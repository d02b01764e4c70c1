from uitweg import create_app

app = create_app()
