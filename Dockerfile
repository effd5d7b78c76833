# The three BusinessBrief services from one build: docker build --target api|orchestrator|agents . (the context is the
# repository root; docker-compose.yml builds each service from its target). The build stage is shared, so building all
# three restores and compiles the common projects once.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Contracts/BusinessBrief.Contracts.csproj src/Contracts/
COPY src/Persistence/BusinessBrief.Persistence.csproj src/Persistence/
COPY src/ServiceDefaults/BusinessBrief.ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Api/BusinessBrief.Api.csproj src/Api/
COPY src/Orchestrator.Worker/BusinessBrief.Orchestrator.Worker.csproj src/Orchestrator.Worker/
COPY src/Agents.Worker/BusinessBrief.Agents.Worker.csproj src/Agents.Worker/
# Restored in its own layer: a code change does not download the packages again.
RUN dotnet restore src/Api/BusinessBrief.Api.csproj \
 && dotnet restore src/Orchestrator.Worker/BusinessBrief.Orchestrator.Worker.csproj \
 && dotnet restore src/Agents.Worker/BusinessBrief.Agents.Worker.csproj
COPY src/ src/
# The OpenAPI document embeds the Dakar example request.
COPY examples/dakar-brief.json examples/
RUN dotnet publish src/Api/BusinessBrief.Api.csproj -c Release --no-restore -o /app/api -p:UseAppHost=false
RUN dotnet publish src/Orchestrator.Worker/BusinessBrief.Orchestrator.Worker.csproj -c Release --no-restore -o /app/orchestrator -p:UseAppHost=false
RUN dotnet publish src/Agents.Worker/BusinessBrief.Agents.Worker.csproj -c Release --no-restore -o /app/agents -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# URLS (not ASPNETCORE_URLS): it outranks the localhost-only "Urls" of appsettings.json.
ENV URLS=http://+:8080
EXPOSE 8080
USER app

FROM runtime AS api
COPY --from=build /app/api ./
ENTRYPOINT ["dotnet", "BusinessBrief.Api.dll"]

FROM runtime AS orchestrator
COPY --from=build /app/orchestrator ./
ENTRYPOINT ["dotnet", "BusinessBrief.Orchestrator.Worker.dll"]

FROM runtime AS agents
COPY --from=build /app/agents ./
ENTRYPOINT ["dotnet", "BusinessBrief.Agents.Worker.dll"]
