n = int(input())
lo, hi = 1, n
while lo <= hi:
    mid = (lo + hi) // 2
    print("?", mid, flush=True)
    reply = input()
    if reply == "=":
        break
    lo, hi = (lo, mid - 1) if reply == "<" else (mid + 1, hi)
