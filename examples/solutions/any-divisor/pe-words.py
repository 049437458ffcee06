input()
print("no idea")
