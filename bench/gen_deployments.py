#!/usr/bin/env python3
"""Writes N Deployments (default 2,000) as one YAML stream, half of them
labelled for the FileBeat SidecarSet of examples/filebeat-deployment, with
comments and a few scalars that YAML 1.1 would retype if unquoted."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
out = []
for i in range(n):
    inject = "true" if i % 2 == 0 else "false"
    out.append(f"""# deployment {i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 7}
  labels:
    app: app-{i}
    tier: "{'yes' if i % 3 == 0 else 'no'}"
spec:
  replicas: {1 + i % 5}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
        kruise.io/inject-filebeat: "{inject}"
      annotations:
        prometheus.io/port: "9090"
    spec:
      containers:
        - name: app
          image: registry.example.com/app-{i}:1.{i % 10}.0
          args: ["--port", "8080", "--mode", "on"]
          env:
            - name: LEVEL
              value: "0755"
            - name: INDEX
              value: "{i}"
          ports:
            - containerPort: 8080
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: "1", memory: 256Mi}}
          volumeMounts:
            - name: log
              mountPath: /var/log/nginx
      volumes:
        - name: log
          emptyDir: {{}}
""")
sys.stdout.write("---\n".join(out))
