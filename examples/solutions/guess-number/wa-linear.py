# Asks 1, 2, 3, ...: runs out of guesses on the larger tests.
n = int(input())
for guess in range(1, n + 1):
    print("?", guess, flush=True)
    if input() == "=":
        break
