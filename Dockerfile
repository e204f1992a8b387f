# The browser assets (bpmn-js for the process modeler) come from npm in a build stage; the app serves them itself.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY forms forms
COPY workers workers
COPY processes processes
COPY --from=assets /app/node_modules node_modules
RUN pip install --no-cache-dir -e .
ENV COMPLAINTFLOW_VAR_DIR=/var/lib/complaintflow
EXPOSE 8000
CMD ["gunicorn", "-c", "python:service.gunicorn_conf", "service.wsgi:app"]
