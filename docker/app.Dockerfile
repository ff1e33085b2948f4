# The `web` service of docker-compose.gpu.yml: the React app built once, served by Django on daphne.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e .
COPY --from=web /web/dist web/dist
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "asgi_app.asgi:application"]
