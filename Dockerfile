FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY forms forms
COPY workers workers
COPY processes processes
RUN pip install --no-cache-dir -e .
ENV COMPLAINTFLOW_VAR_DIR=/var/lib/complaintflow
EXPOSE 8000
CMD ["gunicorn", "-c", "python:service.gunicorn_conf", "service.wsgi:app"]
