import type { Customer } from '@neurosphere/db';
import type { AgentSettings } from '@neurosphere/contracts';

export function toAgentSettings(customer: Customer, allowedModels: readonly string[]): AgentSettings {
  return {
    customer_id: customer.id,
    business_name: customer.businessName,
    status: customer.status,
    industry: customer.industry,
    template_version: customer.templateVersion,
    agent_name: customer.agentName,
    greeting: customer.greeting,
    voice_id: customer.voiceId,
    personality: customer.personality,
    transfer_number: customer.transferNumber,
    speech_timeout_seconds: customer.speechTimeoutSeconds,
    openai_model: customer.openaiModel,
    help_text: customer.helpText,
    sms_ai_reply_enabled: customer.smsAiReplyEnabled,
    sms_rate_limit_per_minute: customer.smsRateLimitPerMinute,
    language: customer.language,
    say_voice: customer.sayVoice,
    llm_temperature: customer.llmTemperature,
    caller_verification: customer.callerVerification,
    emergency_message: customer.emergencyMessage,
    speech_hints: customer.speechHints,
    call_sms_template: customer.callSmsTemplate,
    allowed_openai_models: [...allowedModels],
    updated_at: customer.updatedAt.toISOString(),
  };
}
