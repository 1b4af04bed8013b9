#!/usr/bin/env python3
"""Seeds a running conversation-router with a benchmark directory through its API.

users u00000.. (service seats, 80% available), teams t000.. (primary members in blocks of 20),
inboxes i00.. open to everyone, and per inbox a chat channel (least busy over --teams-per-channel
teams) and an email channel. Prints nothing but a summary line.
"""
import argparse, json, os, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

p = argparse.ArgumentParser()
p.add_argument("--base", default="http://127.0.0.1:7070")
p.add_argument("--token", default=os.environ.get("ROUTER_ADMIN_TOKEN", "bench"))
p.add_argument("--users", type=int, default=1000)
p.add_argument("--teams", type=int, default=50)
p.add_argument("--inboxes", type=int, default=20)
p.add_argument("--teams-per-channel", type=int, default=10)
a = p.parse_args()

def call(method, path, body):
    req = urllib.request.Request(a.base + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": "Bearer " + a.token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.status

users = [f"u{i:05d}" for i in range(a.users)]
with ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda i: call("POST", "/api/v1/users", {"id": users[i], "name": f"User {i}",
         "email": f"{users[i]}@example.com", "seat": "service", "available": i % 5 != 0}), range(a.users)))
per_team = max(1, a.users // a.teams)
teams = [f"t{t:03d}" for t in range(a.teams)]
for t, team in enumerate(teams):
    call("POST", "/api/v1/teams", {"id": team, "name": f"Team {t}",
         "primaryMembers": users[t * per_team:(t + 1) * per_team], "secondaryMembers": []})
for i in range(a.inboxes):
    inbox = f"i{i:02d}"
    call("POST", "/api/v1/inboxes", {"id": inbox, "name": f"Inbox {i}", "teams": None})
    # Channel i takes the i-th block of teams (wrapping): 1,000 users make 5 pools of 200 agents, each
    # serving 4 inboxes, as a desk whose teams each take their own chats.
    chosen = [teams[(i * a.teams_per_channel + k) % a.teams] for k in range(a.teams_per_channel)]
    for kind in ("chat", "email"):
        channel = f"{kind}-{inbox}"
        call("POST", "/api/v1/channels", {"id": channel, "inboxId": inbox, "kind": kind, "name": channel})
        call("PUT", f"/api/v1/channels/{channel}/routing", {"autoAssign": True,
             "assignTo": {"type": "users_and_teams", "users": [], "teams": chosen}, "onlyAvailable": True})
print(f"seeded {a.users} users, {a.teams} teams, {a.inboxes} inboxes, {2 * a.inboxes} channels "
      f"({a.teams_per_channel * per_team} candidates per channel)")
