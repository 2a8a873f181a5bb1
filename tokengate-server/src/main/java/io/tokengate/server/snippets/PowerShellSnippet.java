package io.tokengate.server.snippets;

import java.util.Map;

/**
 * {@code Invoke-RestMethod} for Windows PowerShell 5.1 and PowerShell 7+. The Basic header is
 * built from the UTF-8 bytes of {@code USER:TOKEN} (PowerShell's own {@code -Credential} sends
 * nothing until challenged, and 5.1 would encode a string body in Latin-1), and the body is sent
 * as UTF-8 bytes. The script is pure ASCII (see {@link PowerShellLiteral}).
 */
final class PowerShellSnippet implements Generator {
    private static final Map<String, String> METHODS = Map.of(
            "GET", "Get",
            "HEAD", "Head",
            "POST", "Post",
            "PUT", "Put",
            "PATCH", "Patch",
            "DELETE", "Delete",
            "OPTIONS", "Options");

    @Override
    public Language language() {
        return Language.POWERSHELL;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        StringBuilder out = new StringBuilder();
        out.append("# Windows PowerShell 5.1 or PowerShell 7+\n");
        out.append("$user = ").append(PowerShellLiteral.quote(request.user())).append('\n');
        out.append("$token = ")
                .append(PowerShellLiteral.quote(request.secret()))
                .append('\n');
        out.append("$credentials = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($user + ':' + $token))\n");
        out.append("$headers = @{ Authorization = 'Basic ' + $credentials }\n");
        if (request.hasBody()) {
            out.append("$body = [Text.Encoding]::UTF8.GetBytes(")
                    .append(PowerShellLiteral.quote(request.body()))
                    .append(")\n");
        }
        out.append("$response = Invoke-RestMethod -Method ")
                .append(METHODS.get(request.method()))
                .append(" -Uri ")
                .append(PowerShellLiteral.quote(request.url()))
                .append(" -Headers $headers");
        if (request.hasBody()) {
            out.append(" -ContentType ")
                    .append(PowerShellLiteral.quote(request.contentType()))
                    .append(" -Body $body");
        }
        out.append('\n');
        out.append("$response | ConvertTo-Json -Depth 20\n");
        return Generated.ok(out.toString());
    }
}
