{{/*
The five components: values key, process name, port, database (subgraphs only) and the
command that runs them in the image.
*/}}
{{- define "remote-help.components" -}}
- key: gateway
  name: gateway
  port: 4000
  subgraph: false
  main: apps/gateway/dist/main.js
- key: tenantService
  name: tenant-service
  port: 4001
  subgraph: true
  database: remote_help_tenant
  main: apps/tenant-service/dist/main.js
  migrate: apps/tenant-service/dist/migrate.js
- key: rbacService
  name: rbac-service
  port: 4002
  subgraph: true
  database: remote_help_rbac
  main: apps/rbac-service/dist/main.js
  migrate: apps/rbac-service/dist/migrate.js
- key: sessionService
  name: session-service
  port: 4003
  subgraph: true
  database: remote_help_session
  main: apps/session-service/dist/main.js
  migrate: apps/session-service/dist/migrate.js
- key: reportingService
  name: reporting-service
  port: 4004
  subgraph: true
  database: remote_help_reporting
  main: apps/reporting-service/dist/main.js
  migrate: apps/reporting-service/dist/migrate.js
{{- end -}}

{{/* The enabled components, each with its values under `values`. */}}
{{- define "remote-help.enabledComponents" -}}
{{- $out := list -}}
{{- range (include "remote-help.components" . | fromYamlArray) -}}
{{- $v := index $.Values .key -}}
{{- if $v.enabled -}}
{{- $out = append $out (merge (dict "values" $v) .) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "remote-help.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "remote-help.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: <fullname>-<component>. Call with (list $ "gateway"). */}}
{{- define "remote-help.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "remote-help.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "remote-help.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's selector labels (every pod of the release). */}}
{{- define "remote-help.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "remote-help.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one component. Call with (list $ "gateway"). */}}
{{- define "remote-help.selectorLabels" -}}
{{- $root := index . 0 -}}
{{ include "remote-help.releaseSelectorLabels" $root }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* The recommended labels of one component's objects. Call with (list $ "gateway"). */}}
{{- define "remote-help.labels" -}}
{{- $root := index . 0 -}}
{{ include "remote-help.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: remote-help
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ include "remote-help.chart" $root }}
{{- end -}}

{{- define "remote-help.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* ServiceAccount name of a component. Call with (list $ component). */}}
{{- define "remote-help.serviceAccountName" -}}
{{- $root := index . 0 -}}
{{- $c := index . 1 -}}
{{- if $c.values.serviceAccount.create -}}
{{- default (include "remote-help.componentName" (list $root $c.name)) $c.values.serviceAccount.name -}}
{{- else -}}
{{- default "default" $c.values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret that holds the keys. */}}
{{- define "remote-help.keysSecret" -}}
{{- default (printf "%s-keys" (include "remote-help.fullname" .)) .Values.keys.existingSecret -}}
{{- end -}}

{{/* The Secret that holds the database URLs the chart was given. */}}
{{- define "remote-help.databaseSecret" -}}
{{- printf "%s-database" (include "remote-help.fullname" .) -}}
{{- end -}}

{{/* DATABASE_URL of a subgraph, from its own Secret or the chart's. Call with (list $ component). */}}
{{- define "remote-help.databaseUrlEnv" -}}
{{- $root := index . 0 -}}
{{- $c := index . 1 -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
{{- if $c.values.database.existingSecret }}
      name: {{ $c.values.database.existingSecret }}
      key: {{ $c.values.database.existingSecretKey }}
{{- else }}
      name: {{ include "remote-help.databaseSecret" $root }}
      key: {{ $c.name }}
{{- end }}
{{- end -}}

{{/* Where the keys are mounted in the containers. */}}
{{- define "remote-help.keysDir" -}}/keys{{- end -}}

{{/*
The variables the chart sets itself (the env overrides may not name them). Call with a component.
*/}}
{{- define "remote-help.managedEnv" -}}
{{- $common := list "NODE_ENV" "HOST" "PORT" "KAFKA_BROKERS" "KAFKA_TOPIC_PREFIX" "LOG_LEVEL" "METRICS_PORT" "SHUTDOWN_GRACE_SECONDS" "SHUTDOWN_DRAIN_SECONDS" "OTEL_EXPORTER_OTLP_ENDPOINT" "OTEL_EXPORTER_OTLP_PROTOCOL" -}}
{{- if .subgraph -}}
{{- toYaml (concat $common (list "DATABASE_URL" "INTERNAL_JWT_PUBLIC_KEY_FILE" "SERVICE_JWT_PRIVATE_KEY_FILE" "SERVICE_JWT_PUBLIC_KEY_FILE" "TENANT_SERVICE_INTERNAL_URL" "RBAC_SERVICE_INTERNAL_URL")) -}}
{{- else -}}
{{- toYaml (concat $common (list "SUPERGRAPH_PATH" "TENANT_SERVICE_URL" "RBAC_SERVICE_URL" "SESSION_SERVICE_URL" "REPORTING_SERVICE_URL" "INTERNAL_JWT_PRIVATE_KEY_FILE" "AUTH_AUDIENCE" "DEV_ISSUER_ENABLED" "DEV_ISSUER_KEYS_DIR" "OIDC_ISSUERS" "CORS_ORIGINS")) -}}
{{- end -}}
{{- end -}}

{{/* Base URL (http://host:port) of a subgraph, in the release or elsewhere. Call with (list $ "tenantService"). */}}
{{- define "remote-help.subgraphBaseUrl" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- range (include "remote-help.components" $root | fromYamlArray) -}}
{{- if eq .key $key -}}
{{- $v := index $root.Values $key -}}
{{- if $v.enabled -}}
{{- printf "http://%s:%v" (include "remote-help.componentName" (list $root .name)) .port -}}
{{- else -}}
{{- required (printf "%s.externalUrl is required when %s.enabled is false (the other components call it)" $key $key) $v.externalUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
