# One image per drplane service, all built from this repository:
#   docker build --build-arg MODULE=failover-coordinator --build-arg MAIN_CLASS=io.drplane.coordinator.FailoverCoordinatorApplication .
# docker-compose.yml builds every service this way.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The same for every service, so the layer is built once and shared.
RUN mvn -B -q -DskipTests install
ARG MODULE
RUN mvn -B -q -pl ${MODULE} dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
    && cp -r ${MODULE}/target/classes /out/classes

FROM eclipse-temurin:17-jre
ARG MAIN_CLASS
ENV MAIN_CLASS=${MAIN_CLASS}
COPY --from=build /out /app
RUN useradd --system --uid 10001 drplane
USER drplane
EXPOSE 8080
# The plan is mounted at /etc/drplane/plan.yml (DRPLANE_PLAN); everything else comes from the environment.
ENTRYPOINT ["sh", "-c", "exec java ${JAVA_OPTS:--Xmx256m} -cp '/app/classes:/app/lib/*' ${MAIN_CLASS} \"$@\"", "drplane"]
