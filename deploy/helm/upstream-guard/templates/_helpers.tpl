{{/*
Names and labels shared by every template.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "upstream-guard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The object name: the release name when it already contains the chart name ("upstream-guard"), else
<release>-upstream-guard. 52 characters at most, so "<fullname>-metrics" and the like stay within 63.
*/}}
{{- define "upstream-guard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "upstream-guard.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the guard's pods (Service, PDB, topology spread). Never change them: selectors are immutable. */}}
{{- define "upstream-guard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "upstream-guard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "upstream-guard.labels" -}}
{{ include "upstream-guard.selectorLabels" . }}
app.kubernetes.io/part-of: upstream-guard
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The Secret with tls.crt and tls.key that the pods mount at /etc/upstream-guard/tls. */}}
{{- define "upstream-guard.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "existingSecret" -}}
{{- required "certificates.existingSecret.name is required with certificates.mode=existingSecret" .Values.certificates.existingSecret.name -}}
{{- else -}}
{{- printf "%s-tls" (include "upstream-guard.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The four names the API server may use for the Service, one per line. */}}
{{- define "upstream-guard.serviceDnsNames" -}}
{{- $svc := include "upstream-guard.fullname" . -}}
{{- $ns := .Release.Namespace -}}
- {{ $svc }}
- {{ $svc }}.{{ $ns }}
- {{ $svc }}.{{ $ns }}.svc
- {{ $svc }}.{{ $ns }}.svc.cluster.local
{{- end -}}

{{/* image: repository:tag or repository@digest; the default tag is appVersion, with "-jvm" for the JVM variant. */}}
{{- define "upstream-guard.image" -}}
{{- $img := .Values.image -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- $tag := $img.tag | default (printf "%s%s" .Chart.AppVersion (eq $img.variant "jvm" | ternary "-jvm" "")) -}}
{{- printf "%s:%s" $img.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
A mode or severity as the app spells it. YAML 1.1 reads a bare `off` as false; take it to mean "off".
*/}}
{{- define "upstream-guard.offOrString" -}}
{{- if kindIs "bool" . -}}
{{- if . -}}{{ fail "a mode or severity of true means nothing: use enforce/warn/off or error/warning/off" }}{{- end -}}
off
{{- else -}}
{{- . -}}
{{- end -}}
{{- end -}}

{{/*
The app's config file: every key GuardConfig declares that a deployed guard uses (all but cluster.manifests), from
the values; severities and exempt users only when set.
*/}}
{{- define "upstream-guard.applicationProperties" -}}
# Rendered by the upstream-guard Helm chart from its values; read through QUARKUS_CONFIG_LOCATIONS. Edit the values,
# not this ConfigMap: helm upgrade overwrites it, and a change rolls the pods.
upstream-guard.mode={{ include "upstream-guard.offOrString" .Values.mode }}
upstream-guard.deletes={{ .Values.deletes }}
upstream-guard.protect-unrouted={{ .Values.protectUnrouted }}
upstream-guard.liveness-budget-seconds={{ int .Values.livenessBudgetSeconds }}
upstream-guard.ingress-nginx.annotations-prefix={{ .Values.ingressNginx.annotationsPrefix }}
{{- with .Values.exemptUsers }}
upstream-guard.exempt-users={{ join "," . }}
{{- end }}
{{- range $rule, $severity := .Values.severities }}
upstream-guard.severity."{{ $rule }}"={{ include "upstream-guard.offOrString" $severity }}
{{- end }}
upstream-guard.audit.enabled={{ .Values.audit.enabled }}
upstream-guard.audit.interval={{ .Values.audit.interval }}
upstream-guard.audit.initial-delay={{ .Values.audit.initialDelay }}
upstream-guard.events.enabled={{ .Values.events.enabled }}
upstream-guard.events.queue-size={{ int .Values.events.queueSize }}
upstream-guard.events.dedupe-window={{ .Values.events.dedupeWindow }}
upstream-guard.reports.enabled={{ .Values.reports.enabled }}
upstream-guard.reports.max-results={{ int .Values.reports.maxResults }}
upstream-guard.admission.max-in-flight={{ int .Values.admission.maxInFlight }}
upstream-guard.admission.deadline-margin={{ .Values.admission.deadlineMargin }}
upstream-guard.admission.workers={{ int .Values.admission.workers }}
upstream-guard.admission.confirm-timeout={{ .Values.admission.confirmTimeout }}
upstream-guard.cache.max-staleness={{ .Values.cache.maxStaleness }}
upstream-guard.cache.apply-delay={{ .Values.cache.applyDelay }}
upstream-guard.cache.discovery-interval={{ .Values.cache.discoveryInterval }}
{{- range $key, $value := .Values.extraConfig }}
{{ $key }}={{ $value }}
{{- end }}
{{- end -}}
